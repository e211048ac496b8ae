// A client built on the AWS SDK for Go v2 (the SDK under Terraform's AWS provider): it loads the shared config
// for one profile, as every Go tool does, then asks STS who it is.
//
// Usage: go_sdk PROFILE STS_URL. Prints the caller's ARN on stdout and exits 0, or prints the SDK's error on
// stderr and exits 1. The SDK runs credential_process itself (through sh -c) and passes its stderr through.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go_sdk PROFILE STS_URL")
		os.Exit(2)
	}
	profile, stsURL := os.Args[1], os.Args[2]
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile(profile))
	if err != nil {
		fmt.Fprintf(os.Stderr, "go sdk error: %v\n", err)
		os.Exit(1)
	}
	client := sts.NewFromConfig(cfg, func(o *sts.Options) {
		o.EndpointResolver = sts.EndpointResolverFromURL(stsURL)
	})
	out, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		fmt.Fprintf(os.Stderr, "go sdk error: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(*out.Arn)
}
